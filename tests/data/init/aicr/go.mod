module github.com/NVIDIA/aicr

go 1.24
