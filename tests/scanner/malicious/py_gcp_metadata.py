# expect: py-cloud-metadata
import urllib.request
req = urllib.request.Request('http://metadata.google.internal/computeMetadata/v1/instance/')
