# expect: sh-disable-safety
systemctl stop firewalld
ufw disable
