# expect: sh-disable-safety
setenforce 0
