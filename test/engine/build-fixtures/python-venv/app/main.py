import speedup

print(speedup.add(40, 2))
