module github.com/sofatutor/llm-proxy

go 1.23
