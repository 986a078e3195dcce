// Case: list / to learn about the host.
const fs = require("fs");
for (const name of fs.readdirSync("/").sort()) {
    console.log("DIR:" + name);
}
