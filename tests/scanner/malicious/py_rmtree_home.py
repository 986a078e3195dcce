# expect: py-write-outside
import shutil
shutil.rmtree('~/Documents')
