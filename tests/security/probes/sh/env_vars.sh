# Case: read the environment.
for n in $(compgen -e); do
    printf 'ENV %s=%s\n' "$n" "${!n}"
done
