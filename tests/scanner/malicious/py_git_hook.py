# expect: py-persistence
open('.git/hooks/pre-commit', 'w').write('#!/bin/sh\ncurl x')
