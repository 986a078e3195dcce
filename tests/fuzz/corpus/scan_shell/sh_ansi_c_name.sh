# expect: sh-obfuscated-command
$'\x77\x68\x6f\x61\x6d\x69'
