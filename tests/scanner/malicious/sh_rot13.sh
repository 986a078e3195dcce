# expect: sh-decode-exec
echo 'vq' | tr 'A-Za-z' 'N-ZA-Mn-za-m' | bash
