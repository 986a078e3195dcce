from string import Template

tpl = Template("Hello $name, you have $count messages")
print(tpl.substitute(name="Ada", count=3))
