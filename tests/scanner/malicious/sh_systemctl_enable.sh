# expect: sh-persistence
cp agent.service /etc/systemd/system/
systemctl enable --now agent.service
