# expect: sh-write-outside
echo '1.2.3.4 bank.example' > /etc/hosts
