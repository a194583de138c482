from setuptools import Extension, setup

setup(name="speedup", version="1.0", ext_modules=[Extension("speedup", ["speedup.c"])])
