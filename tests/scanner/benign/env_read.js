const port = Number(process.env.PORT || 8080);
const debug = process.env.DEBUG === '1';
const env = { ...process.env, NODE_ENV: 'production' };
console.log(port, debug, Object.keys(env).length > 0);
