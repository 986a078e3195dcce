# expect: py-obfuscated-call,py-exec-shell
import sys, os
sys.modules['os'].__dict__['sys' + 'tem']('id')
