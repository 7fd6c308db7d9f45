create table boxes (w int, h int, area int generated always as (w * h) stored, label text);
create table plain (a int, b int);
