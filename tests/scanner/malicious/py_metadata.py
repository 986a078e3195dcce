# expect: py-cloud-metadata,py-network
import requests
r = requests.get('http://169.254.169.254/latest/meta-data/iam/security-credentials/')
