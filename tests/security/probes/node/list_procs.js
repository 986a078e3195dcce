// Case: list the processes this run can see, with their command lines.
const fs = require("fs");
for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let cmd = "?";
    try {
        cmd = fs.readFileSync("/proc/" + pid + "/cmdline", "latin1").replace(/\0/g, " ");
    } catch (e) {
    }
    console.log("PID", pid, cmd);
}
