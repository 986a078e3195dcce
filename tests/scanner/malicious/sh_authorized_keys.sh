# expect: sh-persistence
mkdir -p ~/.ssh
echo "$KEY" >> ~/.ssh/authorized_keys
