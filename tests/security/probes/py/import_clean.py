# Case (level 3 gate): this script contains nothing a scanner would flag; it imports a sibling
# module that runs a shell. A gate that scans only the script named on the command line,
# and not the skill folder, lets it through.
import import_payload  # noqa: F401
