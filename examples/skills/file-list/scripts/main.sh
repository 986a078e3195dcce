#!/usr/bin/env bash
# File list skill: reads {"path": "relative/folder"} as JSON on stdin and writes the
# entries of that folder inside the skill folder as JSON. Needs bash 4+ and coreutils only.
# Exit status: 0 success, 1 the folder cannot be read, 2 invalid input or rejected path.
set -u
export LC_ALL=C

readonly MAX_INPUT_BYTES=16384
readonly MAX_ENTRIES=1000
readonly MAX_DEPTH=64
readonly EXIT_READ_FAILED=1
readonly EXIT_INVALID_INPUT=2

# Writes {"error": MESSAGE} and exits with STATUS.
fail() {
    local status=$1 message=$2
    printf '{"error": "%s"}\n' "$(json_escape "$message")"
    exit "$status"
}

# Writes {"error": MESSAGE} and exits with the status for invalid input.
invalid() {
    fail $EXIT_INVALID_INPUT "$1"
}

# Reports invalid JSON syntax; MESSAGE names the problem and the byte offset.
syntax_error() {
    invalid "input is not valid JSON: $1"
}

# Prints TEXT escaped for use inside a JSON string.
json_escape() {
    local text=$1 out='' ch code i
    text=${text//\\/\\\\}
    text=${text//\"/\\\"}
    if [[ $text != *[[:cntrl:]]* ]]; then
        printf '%s' "$text"
        return
    fi
    for ((i = 0; i < ${#text}; i++)); do
        ch=${text:i:1}
        if [[ $ch == [[:cntrl:]] ]]; then
            printf -v code '%d' "'$ch"
            printf -v ch '\\u%04x' "$code"
        fi
        out+=$ch
    done
    printf '%s' "$out"
}

# --- A minimal JSON reader ---------------------------------------------------------------
# It walks the input once with a cursor (pos) and keeps the "path" member of the top-level
# object. Other members are skipped after a check for well-formed strings and balanced
# brackets. Their scalars are not validated, because only one field is needed.

input=''
pos=0
path_value=''
path_seen=0

skip_space() {
    while ((pos < ${#input})); do
        case ${input:pos:1} in
            ' ' | $'\t' | $'\n' | $'\r') pos=$((pos + 1)) ;;
            *) return ;;
        esac
    done
}

# Reads the JSON string at pos into string_value, decoding every escape.
string_value=''
read_string() {
    local ch hex code low
    string_value=''
    [[ ${input:pos:1} == '"' ]] || syntax_error "expected '\"' at byte $pos"
    pos=$((pos + 1))
    while ((pos < ${#input})); do
        # Take a run of plain characters in one step; a loop per character is slow in bash.
        if [[ ${input:pos} =~ ^[^\"\\[:cntrl:]]+ ]]; then
            string_value+=${BASH_REMATCH[0]}
            pos=$((pos + ${#BASH_REMATCH[0]}))
            continue
        fi
        ch=${input:pos:1}
        pos=$((pos + 1))
        case $ch in
            '"') return ;;
            '\')
                ch=${input:pos:1}
                pos=$((pos + 1))
                case $ch in
                    '"' | '\' | '/') string_value+=$ch ;;
                    b) string_value+=$'\b' ;;
                    f) string_value+=$'\f' ;;
                    n) string_value+=$'\n' ;;
                    r) string_value+=$'\r' ;;
                    t) string_value+=$'\t' ;;
                    u)
                        hex=${input:pos:4}
                        if [[ ! $hex =~ ^[0-9A-Fa-f]{4}$ ]]; then
                            syntax_error "bad \\u escape at byte $pos"
                        fi
                        pos=$((pos + 4))
                        code=$((16#$hex))
                        if ((code >= 0xD800 && code <= 0xDBFF)); then
                            hex=${input:pos:6}
                            if [[ ! $hex =~ ^\\u[dD][c-fC-F][0-9A-Fa-f]{2}$ ]]; then
                                syntax_error "unpaired surrogate at byte $pos"
                            fi
                            low=$((16#${hex:2}))
                            pos=$((pos + 6))
                            code=$((0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
                        elif ((code >= 0xDC00 && code <= 0xDFFF)); then
                            syntax_error "unpaired surrogate at byte $pos"
                        fi
                        ((code != 0)) || invalid 'a path cannot contain the character U+0000'
                        # printf's \U escape needs a UTF-8 locale to produce UTF-8 bytes.
                        LC_ALL=C.UTF-8 printf -v ch "\\U$(printf '%08x' "$code")"
                        string_value+=$ch
                        ;;
                    *) syntax_error "bad escape at byte $((pos - 1))" ;;
                esac
                ;;
            [[:cntrl:]])
                syntax_error "control character in a string at byte $((pos - 1))"
                ;;
            *) string_value+=$ch ;;
        esac
    done
    syntax_error 'the text ends inside a string'
}

# Skips one JSON value at pos: a string, a nested object or array, or a scalar token.
skip_value() {
    local depth=0 ch
    while ((pos < ${#input})); do
        ch=${input:pos:1}
        case $ch in
            '"') read_string ;;
            '{' | '[')
                depth=$((depth + 1))
                ((depth <= MAX_DEPTH)) || invalid "input nests deeper than $MAX_DEPTH levels"
                pos=$((pos + 1))
                ;;
            '}' | ']')
                ((depth > 0)) || return
                depth=$((depth - 1))
                pos=$((pos + 1))
                ;;
            ',')
                ((depth > 0)) || return
                pos=$((pos + 1))
                ;;
            *) pos=$((pos + 1)) ;;
        esac
        if ((depth == 0)) && [[ $ch == '"' || $ch == '}' || $ch == ']' ]]; then
            return
        fi
    done
    ((depth == 0)) || syntax_error 'the text ends inside a value'
}

parse_request() {
    local key
    skip_space
    [[ ${input:pos:1} == '{' ]] || invalid 'input must be a JSON object such as {"path": "scripts"}'
    pos=$((pos + 1))
    skip_space
    if [[ ${input:pos:1} == '}' ]]; then
        pos=$((pos + 1))
    else
        while :; do
            skip_space
            read_string
            key=$string_value
            skip_space
            [[ ${input:pos:1} == ':' ]] || syntax_error "expected ':' at byte $pos"
            pos=$((pos + 1))
            skip_space
            if [[ $key == path ]]; then
                ((path_seen == 0)) || invalid 'field "path" appears twice'
                [[ ${input:pos:1} == '"' ]] || invalid 'field "path" must be a string'
                read_string
                path_value=$string_value
                path_seen=1
            else
                skip_value
            fi
            skip_space
            case ${input:pos:1} in
                ',') pos=$((pos + 1)) ;;
                '}') pos=$((pos + 1)); break ;;
                *) syntax_error "expected ',' or '}' at byte $pos" ;;
            esac
        done
    fi
    skip_space
    ((pos == ${#input})) || syntax_error "unexpected text after the object at byte $pos"
}

# --- Path checks and listing --------------------------------------------------------------

# SECURITY: the skill only lists its own folder. Absolute paths and ".." components are
# rejected by text, and the resolved path must still lie inside the skill folder, so a
# symbolic link cannot lead out either.
resolve_path() {
    local relative=$1 resolved
    [[ -n $relative ]] || relative=.
    if [[ $relative == /* ]]; then
        invalid "path \"$relative\" is absolute; give a path relative to the skill folder"
    fi
    if [[ /$relative/ == */../* ]]; then
        invalid "path \"$relative\" contains \"..\"; give a path inside the skill folder"
    fi
    if ! resolved=$(realpath -e -- "$skill_dir/$relative" 2> /dev/null); then
        invalid "path \"$relative\" does not exist in the skill folder"
    fi
    if [[ $resolved != "$skill_dir" && $resolved != "$skill_dir"/* ]]; then
        invalid "path \"$relative\" leads outside the skill folder through a symbolic link"
    fi
    [[ -d $resolved ]] || invalid "path \"$relative\" is not a folder"
    target_dir=$resolved
}

entry_type() {
    if [[ -L $1 ]]; then
        echo symlink
    elif [[ -d $1 ]]; then
        echo directory
    elif [[ -f $1 ]]; then
        echo file
    else
        echo other
    fi
}

list_entries() {
    local names=() name size count=0 truncated=false separator=''
    shopt -s nullglob dotglob
    names=("$target_dir"/*)
    shopt -u nullglob dotglob
    if [[ ! -r $target_dir || ! -x $target_dir ]]; then
        fail $EXIT_READ_FAILED "folder \"${path_value:-.}\" cannot be read"
    fi
    printf '{"path": "%s", "entries": [' "$(json_escape "${path_value:-.}")"
    for name in "${names[@]}"; do
        if ((count == MAX_ENTRIES)); then
            truncated=true
            break
        fi
        size=$(stat -c %s -- "$name" 2> /dev/null) || size=0
        printf '%s\n  {"name": "%s", "type": "%s", "size": %s}' "$separator" \
            "$(json_escape "${name##*/}")" "$(entry_type "$name")" "$size"
        separator=','
        count=$((count + 1))
    done
    printf '\n], "truncated": %s}\n' "$truncated"
}

main() {
    local byte_count
    input=$(head -c $((MAX_INPUT_BYTES + 1)); printf x)
    input=${input%x}
    byte_count=$(printf '%s' "$input" | wc -c)
    ((byte_count <= MAX_INPUT_BYTES)) || invalid "input is larger than $MAX_INPUT_BYTES bytes"
    # Bash strings end at a NUL byte, so the reader would see a shortened input.
    [[ $(printf '%s' "$input" | wc -c) == "$byte_count" ]] || invalid 'input contains a NUL byte'

    if ! skill_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P); then
        fail $EXIT_READ_FAILED 'cannot find the skill folder'
    fi
    parse_request
    resolve_path "$path_value"
    list_entries
}

main
