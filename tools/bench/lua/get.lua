-- Plain GET of the URL given to wrk; any cookie comes from wrk's -H "Cookie: ..." on the command line.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")
