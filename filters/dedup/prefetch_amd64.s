#include "textflag.h"

// func prefetchBits(words []uint64, pos []uint64)
TEXT ·prefetchBits(SB), NOSPLIT, $0-48
	MOVQ words_base+0(FP), AX
	MOVQ pos_base+24(FP), SI
	MOVQ pos_len+32(FP), CX
	TESTQ CX, CX
	JEQ done
loop:
	MOVQ (SI), DX
	SHRQ $6, DX
	PREFETCHT0 (AX)(DX*8)
	ADDQ $8, SI
	DECQ CX
	JNE loop
done:
	RET
