# expect: sh-privilege
chmod u+s /tmp/rootsh
