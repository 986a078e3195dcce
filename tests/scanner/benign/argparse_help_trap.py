import argparse

p = argparse.ArgumentParser(description="Sync notes. Does not touch ~/.ssh or ~/.aws/credentials.")
p.add_argument("--profile", help="profile name from ~/.aws/config (read by the AWS CLI, not here)")
p.add_argument("--dry-run", action="store_true")
args = p.parse_args()
print(args)
