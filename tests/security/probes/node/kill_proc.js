// Case: kill a host process whose pid is process.argv[2].
try {
    process.kill(Number(process.argv[2]), "SIGKILL");
    console.log("KILLED");
} catch (e) {
    console.log("error", e.code);
}
