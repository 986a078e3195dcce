import statistics
import sys

values = [float(x) for x in sys.stdin.read().split()]
print({
    "mean": statistics.mean(values),
    "median": statistics.median(values),
    "stdev": statistics.pstdev(values),
})
