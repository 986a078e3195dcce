// Case: read the environment.
for (const k of Object.keys(process.env).sort()) {
    console.log("ENV " + k + "=" + process.env[k]);
}
