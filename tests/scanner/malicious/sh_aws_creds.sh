# expect: sh-secret-read
cat ~/.aws/credentials > /tmp/c.txt
