create table readings (
    sensor int not null,
    taken date not null,
    value int,
    note text
) partition by range (taken);
create table readings_2019 partition of readings for values from ('2019-01-01') to ('2020-01-01');
create table readings_2020 partition of readings for values from ('2020-01-01') to ('2021-01-01');
create table readings_2021 (sensor int not null, taken date not null, value int);
create table plain_to_parted (sensor int not null, taken date not null) partition by range (taken);
create table parted_to_plain (sensor int not null, taken date not null);
