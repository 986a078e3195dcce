// Case: read the host's /etc/passwd.
const fs = require("fs");
try {
    console.log(fs.readFileSync("/etc/passwd", "utf8"));
} catch (e) {
    console.log("error", e.code);
}
