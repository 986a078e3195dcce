// Case: run a shell through child_process. The marker only appears if the shell ran.
const cp = require("child_process");
try {
    console.log(cp.execSync("echo SUBPROC-$((6*7))-RAN", {timeout: 5000}).toString());
} catch (e) {
    console.log("error", e.code || e.message);
}
