FACTORS = {("km", "mi"): 0.621371, ("kg", "lb"): 2.20462, ("l", "gal"): 0.264172}


def convert(value, src, dst):
    if (src, dst) in FACTORS:
        return value * FACTORS[(src, dst)]
    if (dst, src) in FACTORS:
        return value / FACTORS[(dst, src)]
    raise KeyError(f"no conversion from {src} to {dst}")


print(convert(10, "km", "mi"))
