#!/bin/sh
case "$1" in
  start) echo "starting" ;;
  stop) echo "stopping" ;;
  *) echo "usage: $0 start|stop"; exit 1 ;;
esac
