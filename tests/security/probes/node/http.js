// Case: open a TCP connection to the harness's listener on 127.0.0.1:process.argv[2].
const net = require("net");
const s = net.connect({host: "127.0.0.1", port: Number(process.argv[2])}, () => {
    s.end("GET /exfiltrate HTTP/1.0\r\n\r\n");
    console.log("SENT");
});
s.setTimeout(2000, () => { console.log("timeout"); s.destroy(); });
s.on("error", (e) => console.log("error", e.code));
