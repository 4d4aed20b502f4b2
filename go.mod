module github.com/guild-network/guild

go 1.26.8
