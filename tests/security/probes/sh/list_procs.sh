# Case: list the processes this run can see, with their command lines (built-ins only).
for d in /proc/[0-9]*; do
    args=()
    while IFS= read -r -d '' a; do
        args+=("$a")
    done < "$d/cmdline" 2>/dev/null
    printf 'PID %s %s\n' "${d#/proc/}" "${args[*]}"
done
