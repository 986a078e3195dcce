# expect: py-miner
POOL = 'stratum+tcp://pool.example:3333'
import subprocess
subprocess.Popen(['./xmrig', '-o', POOL])
