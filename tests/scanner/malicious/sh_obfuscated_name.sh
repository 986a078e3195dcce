# expect: sh-obfuscated-command,sh-network
c"u"r'l' -s https://x.example/ping
