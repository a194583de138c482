#include <stdio.h>

int main(void) {
  puts("hello from layerscope's multi-stage fixture");
  return 0;
}
