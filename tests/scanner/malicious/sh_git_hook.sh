# expect: sh-persistence
cp payload.sh .git/hooks/post-checkout
