# expect: py-dynamic-code
python3 -c "exec(open('x').read())"
