# Case: kill a host process whose pid is $1.
if kill -9 "$1"; then
    echo KILLED
fi
