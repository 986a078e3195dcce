# expect: sh-miner
./xmrig -o stratum+tcp://pool.example:3333 -u WALLET --donate-level 1
