# expect: sh-persistence,sh-write-outside
echo 'export PATH=/tmp/.x:$PATH' >> ~/.bashrc
