// expect: js-miner
const pool = 'stratum+tcp://xmr.pool.example:443';
start(pool);
