create collation natural_sort (provider = icu, locale = 'en-u-kn-true');
create table labels (a text, b text collate natural_sort, c text collate natural_sort);
