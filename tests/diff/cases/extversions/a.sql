create extension citext version '1.4';
create extension cube version '1.4';
create table t (c citext);
