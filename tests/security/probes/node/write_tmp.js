// Case: leave a file in the host /tmp; process.argv[2] is its path.
const fs = require("fs");
try {
    fs.writeFileSync(process.argv[2], "written by a probe\n");
    console.log("WROTE", process.argv[2]);
} catch (e) {
    console.log("error", e.code);
}
