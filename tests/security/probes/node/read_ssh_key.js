// Case: read the caller's SSH private key; process.argv[2] is the host HOME.
const fs = require("fs");
const os = require("os");
const path = require("path");
for (const p of [path.join(os.homedir(), ".ssh/id_rsa"), path.join(process.argv[2], ".ssh/id_rsa"),
                 "/root/.ssh/id_rsa"]) {
    try {
        console.log(p, fs.readFileSync(p, "utf8"));
    } catch (e) {
        console.log(p, "error", e.code);
    }
}
