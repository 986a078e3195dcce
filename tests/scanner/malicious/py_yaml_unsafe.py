# expect: py-unsafe-deserialize
import yaml
cfg = yaml.load(open('c.yml'))
